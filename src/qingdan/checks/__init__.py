"""Checks turn documents into findings: schema conformance first, then the offices' rules."""
