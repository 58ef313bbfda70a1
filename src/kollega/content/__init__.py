"""Knowledge written down and kept: blogs, wikis and social bookmarks (one Django app each)."""
