"""Reads of the projects app, split by sub-domain."""
