"""Closure and archive, the lessons learned register, full-text search and PMO maturity."""
