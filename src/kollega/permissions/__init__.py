"""Who may see what: the one place.

Every read path (pages, API, stream, notifications, and later search and
digests) asks these functions; none decides visibility by itself.
"""
