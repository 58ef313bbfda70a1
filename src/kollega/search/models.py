"""The search index: one row per searchable thing, whatever its kind.

The engine-specific part lives beside this table and is created by the
migrations: on SQLite an FTS5 table `search_fts` over `title_terms` and
`body_terms` (external content, kept in step by triggers on this table); on
PostgreSQL a generated `search_vector` tsvector column with a GIN index. See
`sqlite_fts.py` and `postgres_fts.py`.

Who may see a document is never stored here: the foreign keys below (post,
community, person) let `permissions.search` join to the live rows, so an
audience change, a new contact or a removal from a community counts at once.
"""

from django.db import models


class SearchDocument(models.Model):
    """One searchable thing: a person, a post, a comment, a question, an answer, a community…"""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    # What the thing belongs to, shown under its title (an answer's question, say).
    context = models.CharField(max_length=300, blank=True)
    # The analysed words (see text.index_terms): what the engines index.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    author = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # For visibility and facets; deleting any of them deletes the document.
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")
    # The thing's classification level, for the badge on its hit (None: unclassified, a
    # person; or indexed before levels were: `kollega reindex` fills it in). Never read
    # for visibility, which joins the live rows above.
    classification = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:40]}"
