"""Social bookmarks: links saved, tagged and shared."""
