"""Who knows about what: one ranking of colleagues by the evidence they left."""
