"""Readers for schedule problem files (PSPLIB ``.sm``, the neutral JSON format)."""
