"""Blogs of people and communities."""
