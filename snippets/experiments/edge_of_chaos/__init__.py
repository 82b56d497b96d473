"""Experiments of chapter 5, The edge of chaos."""
