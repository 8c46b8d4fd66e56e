"""Turning proposal text into basic info, a value table and a summary (rules, or an LLM with rules behind it)."""
