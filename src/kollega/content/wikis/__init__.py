"""Wikis of the organisation and of communities, with full revision history."""
