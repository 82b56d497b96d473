"""Data for the training lab (docs/lab.md and the chapters' embedded labs)."""
