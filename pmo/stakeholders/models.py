"""Stakeholder register, communication plan and log, feedback surveys, benefits realisation."""
