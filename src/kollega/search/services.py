"""Social search: what a person may see, ranked by text and by their network.

How a search runs:

1. The query is parsed into words (`text.parse_query`); each word matches any
   of its forms (itself, folded, Swedish/Norwegian/English stems). Every word
   must match; when no document has them all, any one of them will do (the
   results say so).
2. One query over the index selects the matching documents the person may see
   (`permissions.search`), filtered by the facets chosen, newest first, at
   most CANDIDATES of them, with their index terms. Visibility is inside this
   query, so a page is never short and counts never include what one may not
   see. Text relevance is BM25 over these candidates (`relevance.py`), the
   same on both engines.
3. The candidates are ranked by `score_parts` (text, exact title, closeness of
   the author, recommendations, recency), paged, and the page's titles and
   snippets are highlighted. Facets are counted over all candidates.

Counts are exact up to CANDIDATES matches; beyond that the results say
"more than" and rank the newest CANDIDATES matches (see docs/search.md).
"""

import functools
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.communities.models import Community, Membership
from kollega.limits import SEARCH_PAGE_MAX_ITEMS
from kollega.network.models import Contact
from kollega.network.services import contact_ids
from kollega.people.models import Department, Person
from kollega.people.services import department_subtree
from kollega.permissions.compiled import anyone, swap_viewer
from kollega.permissions.search import visible_documents_filter
from kollega.search import relevance
from kollega.search.documents import KINDS
from kollega.search.indexing import engine
from kollega.search.models import SearchDocument
from kollega.search.text import ParsedQuery, highlight, normalised, parse_query
from kollega.tags.models import Tag
from kollega.tags.services import tag_key

CANDIDATES = 500
FACET_SIZE = 8
SNIPPET_CHARS = 240

# The scoring function's weights: a result's score is the sum of its parts.
WEIGHTS = {
    "text": 10.0,  # × relevance relative to the best match (0–1)
    "exact_title": 5.0,  # the title is the query, word for word
    "contact": 3.0,  # the author is one of my contacts
    "shared_contact": 0.5,  # × contacts I share with the author, at most SHARED_CAP
    "same_community": 1.0,  # the author and I are members of a community together
    "recommendations": 1.0,  # × log2(1 + recommendations)
    "bookmarks": 1.0,  # × log2(1 + colleagues who saved it), bookmarks I may see
    "recency": 2.0,  # × 0.5 ** (age in days / RECENCY_HALF_LIFE_DAYS)
}
SHARED_CAP = 4
RECENCY_HALF_LIFE_DAYS = 60

DATE_RANGES = (
    ("week", gettext_lazy("Past week"), 7),
    ("month", gettext_lazy("Past month"), 31),
    ("year", gettext_lazy("Past year"), 365),
)


@dataclass
class Filters:
    """The facets chosen; empty means no restriction."""

    kinds: list[str] = field(default_factory=list)
    community: str = ""
    tag: str = ""
    author: str = ""
    department: int | None = None
    since: date | None = None
    until: date | None = None

    def as_q(self) -> Q:
        q = Q()
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise ValidationError(
                _("Unknown type: %(kinds)s. Choose from %(known)s."),
                params={"kinds": ", ".join(unknown), "known": ", ".join(KINDS)},
                code="unknown_kind",
            )
        if self.community:
            q &= Q(community__slug=self.community)
        if self.tag:
            q &= Q(tags__name=tag_key(self.tag))
        if self.author:
            q &= Q(author__user__username=self.author.strip().lstrip("@").lower())
        if self.department is not None:
            department = Department.objects.filter(pk=self.department).first()
            if department is None:
                raise ValidationError(_("There is no such department."), code="department")
            q &= Q(author__department__in=department_subtree(department))
        if self.since and self.until and self.since > self.until:
            raise ValidationError(_("The start date is after the end date."), code="dates")
        # The first and last days a calendar has bound nothing, and cannot be stored as times.
        if self.since and self.since > BOUNDLESS_SINCE:
            q &= Q(created_at__gte=_start_of(self.since))
        if self.until and self.until < BOUNDLESS_UNTIL:
            q &= Q(created_at__lt=_start_of(self.until + timedelta(days=1)))
        return q


BOUNDLESS_SINCE, BOUNDLESS_UNTIL = date(1, 1, 2), date(9999, 12, 30)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Candidate:
    pk: int
    kind: str
    object_id: int
    title: str
    author_id: int | None
    community_id: int | None
    created_at: datetime
    recommendations: int
    department_id: int | None
    url: str
    relevance: float
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)


@dataclass
class Hit:
    """One result, ready to show."""

    document: SearchDocument
    score: float
    parts: dict[str, float]
    title_html: str
    snippet_html: str
    # Link text for results without a title (set by the page: "Post by …").
    heading: str = ""

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def context(self) -> str:
        """The document's context in the reader's language (a question's state, say)."""
        from kollega.search.documents import shown_context

        return shown_context(self.document.kind, self.document.context)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit]
    count: int
    count_is_exact: bool
    offset: int
    limit: int
    facets: dict[str, list[FacetValue]]
    any_word: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.hits)
        return following if following < self.count else None

    @property
    def groups(self) -> list[tuple[str, str, list[Hit]]]:
        """The page's hits by type, the type of the best hit first: (kind, label, hits)."""
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.kind, []).append(hit)
        return [(kind, str(KINDS[kind].label), hits) for kind, hits in grouped.items()]


def score_parts(
    *,
    relevance_share: float,
    exact_title: bool,
    is_contact: bool,
    shared_contacts: int,
    same_community: bool,
    recommendations: int,
    age_days: float,
    bookmarks: int = 0,
) -> dict[str, float]:
    """The parts of one result's score (the score is their sum), weighted by WEIGHTS.

    Text relevance leads: a result matching the query much better outranks a
    colleague's weaker one. Between results of similar relevance the social
    signals decide: a contact's (3) before a colleague with shared contacts
    (0.5 each, up to 2) or in one of my communities (1), before a stranger's;
    recommended, bookmarked and recent ones first.
    """
    closeness = 0.0
    if is_contact:
        closeness = WEIGHTS["contact"]
    parts = {
        "text": round(WEIGHTS["text"] * relevance_share, 3),
        "exact_title": WEIGHTS["exact_title"] if exact_title else 0.0,
        "contact": closeness,
        "shared_contacts": 0.0
        if is_contact
        else WEIGHTS["shared_contact"] * min(shared_contacts, SHARED_CAP),
        "same_community": WEIGHTS["same_community"] if same_community and not is_contact else 0.0,
        "recommendations": round(WEIGHTS["recommendations"] * math.log2(1 + recommendations), 3),
        "bookmarks": round(WEIGHTS["bookmarks"] * math.log2(1 + bookmarks), 3),
        "recency": round(
            WEIGHTS["recency"] * 0.5 ** (max(age_days, 0) / RECENCY_HALF_LIFE_DAYS), 3
        ),
    }
    return parts


def search(
    viewer: Person,
    text: str,
    filters: Filters | None = None,
    offset: int = 0,
    limit: int = 20,
) -> SearchResults:
    """Search everything `viewer` may see for `text`; one page of ranked hits with facets.

    Raises ValidationError for a query without a single word, bad paging or an
    unknown filter value.
    """
    filters = filters or Filters()
    query = parse_query(text)
    if query.is_empty:
        raise ValidationError(
            _("Type a word or a name to search for (punctuation alone finds nothing)."),
            code="empty_query",
        )
    if offset < 0 or not 1 <= limit <= SEARCH_PAGE_MAX_ITEMS:
        raise ValidationError(_("Bad page: offset from 0, limit from 1 to 100."), code="page")
    notes = []
    if query.truncated:
        notes.append(_("That was a long query; only its first words were searched for."))
    candidates = _one_per_page(viewer, _candidates(viewer, filters, query))
    any_word = False
    if not candidates and len(query.words) > 1:
        candidates = _one_per_page(viewer, _candidates(viewer, filters, query, any_term=True))
        any_word = True
    ranked = rank(viewer, query, candidates)
    page = ranked[offset : offset + limit]
    return SearchResults(
        query=query,
        hits=_hits(page, query),
        count=len(candidates),
        count_is_exact=len(candidates) < CANDIDATES,
        offset=offset,
        limit=limit,
        facets=facets(candidates),
        any_word=any_word and bool(candidates),
        notes=notes,
    )


CANDIDATE_COLUMNS = (
    "pk", "kind", "object_id", "title", "author_id", "community_id", "created_at",
    "post__recommendation_count", "author__department_id", "url",
    "title_terms", "body_opening", "terms_length",
)  # fmt: skip


def _candidates(
    viewer: Person, filters: Filters, query: ParsedQuery, any_term: bool = False
) -> list[Candidate]:
    backend = engine()
    try:
        sql, params = _candidate_sql(viewer, filters, backend.match_expression(query, any_term))
    except EmptyResultSet:  # nothing may be seen (a colleague who left)
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    scores = relevance.bm25([relevance.MatchedTerms(*row[-3:]) for row in rows], query.terms)
    # The rows hold Candidate's fields in its order, then the three term columns.
    return [
        Candidate(*row[:6], _aware(row[6]), row[7] or 0, *row[8:10], score)
        for row, score in zip(rows, scores, strict=True)
    ]


def _candidate_sql(viewer: Person, filters: Filters, expression: str) -> tuple[str, list]:
    """The SQL and parameters selecting the newest CANDIDATES matches `viewer` may see.

    Building it through the ORM takes about 7 ms (the visibility rules are a large
    tree), and it is the same for every active colleague but for their id. So
    without facets other than type it is built once per process and type choice
    for a stand-in viewer, whose id and match expression are then swapped for the
    real ones. That holds because the rules read only a viewer's id and whether
    they are active (`permissions.compiled`); a test compares the two ways.
    """
    if filters != Filters(kinds=filters.kinds) or not viewer.user.is_active:
        return _compiled_candidate_sql(viewer, filters, expression)
    sql, params = _candidate_sql_for_anyone(connection.vendor, tuple(sorted(filters.kinds)))
    return sql, swap_viewer(params, viewer.pk, {_ANY_EXPRESSION: expression})


# A stand-in no real query can equal (a match expression never holds a NUL).
_ANY_EXPRESSION = "\x00match\x00"


@functools.lru_cache(maxsize=64)
def _candidate_sql_for_anyone(vendor: str, kinds: tuple[str, ...]) -> tuple[str, tuple]:
    sql, params = _compiled_candidate_sql(anyone(), Filters(kinds=list(kinds)), _ANY_EXPRESSION)
    return sql, tuple(params)


def _compiled_candidate_sql(viewer: Person, filters: Filters, expression: str):
    backend = engine()
    documents = SearchDocument.objects.filter(
        visible_documents_filter(viewer, filters.kinds or None) & filters.as_q()
    )
    matching = documents.extra(**backend.match_sql(expression)).annotate(
        body_opening=Substr("body_terms", 1, relevance.BODY_TERMS_READ),
        terms_length=Length("title_terms") + Length("body_terms"),
    )
    sql, params = matching.order_by().values_list(*CANDIDATE_COLUMNS).query.sql_with_params()
    # The ORDER BY is written here because Django would name the document id instead of
    # the engine's own row order (see the engine's NEWEST_FIRST).
    return f"{sql} ORDER BY {backend.NEWEST_FIRST} LIMIT %s", [*params, CANDIDATES]


def _one_per_page(viewer: Person, candidates: list[Candidate]) -> list[Candidate]:
    """One bookmark result per saved page: the viewer's own save, else the newest.

    Ten colleagues saving one page is one result that ranks higher (see `_saved_by`),
    not ten results pushing everything else off the page.
    """
    from kollega.content.bookmarks.models import Bookmark

    bookmark_ids = [c.object_id for c in candidates if c.kind == "bookmark"]
    if len(bookmark_ids) < 2:
        return candidates
    saves = {
        pk: (key, person_id == viewer.pk)
        for pk, key, person_id in Bookmark.objects.filter(pk__in=bookmark_ids).values_list(
            "pk", "url_key", "person_id"
        )
    }
    chosen: dict[str, Candidate] = {}
    for c in candidates:  # newest first, so the first of a page is its newest save
        if c.kind != "bookmark" or c.object_id not in saves:
            continue
        key, mine = saves[c.object_id]
        if key not in chosen or (mine and not saves[chosen[key].object_id][1]):
            chosen[key] = c
    kept = {id(c) for c in chosen.values()}
    return [c for c in candidates if c.kind != "bookmark" or id(c) in kept]


def _aware(moment) -> datetime:
    """Raw SQL on SQLite returns text or naive datetimes; the ORM would return aware UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def _saved_by(viewer: Person, candidates: list[Candidate]) -> dict[int, int]:
    """How many colleagues saved each candidate, in bookmarks the viewer may see.

    A bookmark result counts the saves of its page; any other result the saves of
    a link to its intranet address (social bookmarks as a search signal).
    """
    from kollega.content.bookmarks.models import Bookmark
    from kollega.content.bookmarks.services import saved_by_counts, saved_intranet_pages

    by_path, by_bookmark = {}, {}
    for c in candidates:
        if c.kind == "bookmark":
            by_bookmark[c.object_id] = c.pk
        else:
            by_path[c.url.split("#")[0]] = c.pk
    saved = {}
    pages = saved_intranet_pages(viewer, by_path)
    for path, n in pages.items():
        saved[by_path[path]] = n
    if by_bookmark:
        keys = dict(Bookmark.objects.filter(pk__in=by_bookmark).values_list("pk", "url_key"))
        counts = saved_by_counts(viewer, set(keys.values()))
        for bookmark_id, key in keys.items():
            # The others who saved the same page (the result itself is one save).
            saved[by_bookmark[bookmark_id]] = max(counts.get(key, 0) - 1, 0)
    return saved


def rank(viewer: Person, query: ParsedQuery, candidates: list[Candidate]) -> list[Candidate]:
    """Score every candidate (see `score_parts`) and order them best first."""
    if not candidates:
        return []
    contacts = contact_ids(viewer)
    authors = {c.author_id for c in candidates if c.author_id} - {viewer.pk}
    # Everyone my contacts know, with how many of my contacts know them: small (the sum
    # of my contacts' contacts), and no list of a thousand authors to send.
    shared = dict(
        Contact.objects.filter(
            person_id__in=Contact.objects.filter(person=viewer).values("contact_id")
        )
        .values("contact_id")
        .annotate(n=Count("id"))
        .values_list("contact_id", "n")
    )
    mine = list(Membership.objects.filter(person=viewer).values_list("community_id", flat=True))
    together = (
        set(
            Membership.objects.filter(
                person_id__in=authors - contacts, community_id__in=mine
            ).values_list("person_id", flat=True)
        )
        if mine and authors - contacts
        else set()
    )
    saved = _saved_by(viewer, candidates)
    best = max(c.relevance for c in candidates) or 1.0
    wanted_title = normalised(query.text)
    now = timezone.now()
    for c in candidates:
        c.parts = score_parts(
            relevance_share=max(c.relevance, 0.0) / best if best > 0 else 0.0,
            exact_title=bool(c.title) and normalised(c.title) == wanted_title,
            is_contact=c.author_id in contacts,
            shared_contacts=shared.get(c.author_id, 0),
            same_community=c.author_id in together,
            recommendations=c.recommendations,
            age_days=(now - c.created_at).total_seconds() / 86400,
            bookmarks=saved.get(c.pk, 0),
        )
        c.score = round(sum(c.parts.values()), 3)
    return sorted(candidates, key=lambda c: (-c.score, -c.created_at.timestamp(), -c.pk))


def _hits(page: list[Candidate], query: ParsedQuery) -> list[Hit]:
    documents = SearchDocument.objects.select_related(
        "author__user", "author__department", "community"
    ).in_bulk([c.pk for c in page])
    hits = []
    for c in page:
        document = documents[c.pk]
        hits.append(
            Hit(
                document=document,
                score=c.score,
                parts=c.parts,
                # highlight() escapes the text before it marks the matches.
                title_html=mark_safe(highlight(document.title, query)),  # noqa: S308
                snippet_html=mark_safe(highlight(document.body, query, SNIPPET_CHARS)),  # noqa: S308
            )
        )
    return hits


def facets(candidates: list[Candidate]) -> dict[str, list[FacetValue]]:
    """How the matches spread over type, community, tag, author, department and date."""
    kinds = Counter(c.kind for c in candidates)
    communities = Counter(c.community_id for c in candidates if c.community_id)
    authors = Counter(c.author_id for c in candidates if c.author_id)
    ids = [c.pk for c in candidates]
    tags = Counter(
        dict(
            SearchDocument.tags.through.objects.filter(searchdocument_id__in=ids)
            .values("tag_id")
            .annotate(n=Count("id"))
            .values_list("tag_id", "n")
        )
    )
    departments = Counter(c.department_id for c in candidates if c.department_id)
    top_authors = authors.most_common(FACET_SIZE)
    people = {
        pk: (username, name)
        for pk, username, name in Person.objects.filter(
            pk__in=[pk for pk, _n in top_authors]
        ).values_list("pk", "user__username", "name")
    }
    department_names = dict(
        Department.objects.filter(
            pk__in=[pk for pk, _n in departments.most_common(FACET_SIZE)]
        ).values_list("pk", "name")
    )
    community_rows = Community.objects.in_bulk(
        [pk for pk, _n in communities.most_common(FACET_SIZE)]
    )
    tag_names = dict(
        Tag.objects.filter(pk__in=[t for t, _n in tags.most_common(FACET_SIZE)]).values_list(
            "pk", "name"
        )
    )
    today = timezone.localdate()
    cutoffs = [
        (label, _start_of(today - timedelta(days=days - 1))) for _k, label, days in DATE_RANGES
    ]
    return {
        "type": [FacetValue(k, str(KINDS[k].label), n) for k, n in kinds.most_common()],
        "community": [
            FacetValue(community_rows[i].slug, community_rows[i].name, n)
            for i, n in communities.most_common(FACET_SIZE)
        ],
        "tag": [
            FacetValue(tag_names[i], "#" + tag_names[i], n) for i, n in tags.most_common(FACET_SIZE)
        ],
        "author": [FacetValue(people[i][0], people[i][1], n) for i, n in top_authors],
        "department": [
            FacetValue(str(i), department_names[i], n)
            for i, n in departments.most_common(FACET_SIZE)
        ],
        "date": [
            FacetValue(
                timezone.localdate(cutoff).isoformat(),
                str(label),
                sum(1 for c in candidates if c.created_at >= cutoff),
            )
            for label, cutoff in cutoffs
        ],
    }
