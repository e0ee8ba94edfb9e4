"""Engines run the pipeline over many inputs: ``local`` on one machine (the default)."""
