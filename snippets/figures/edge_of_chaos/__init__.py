"""Figures of chapter 5, The edge of chaos (edge-of-chaos.md)."""
