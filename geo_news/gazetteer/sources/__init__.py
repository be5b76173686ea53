"""Readers of the registry packages and data files the gazetteer is built from; each yields plain rows."""
