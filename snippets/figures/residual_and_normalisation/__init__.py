"""Figures of chapter 6: depth without vanishing."""
