"""Methodology library, lifecycles and stage gates, gate reviews and decisions, quality audits and PMO maturity."""
