"""Chapter 6: depth without vanishing — residual connections and normalisation."""
