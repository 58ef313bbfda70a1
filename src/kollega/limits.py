"""Product limits: how long, how many and how large what people send may be, and page sizes.

One place, one naming style: `<WHAT>_MAX_<UNIT>` for a ceiling (CHARS counts
characters, BYTES bytes of UTF-8 or of a file, otherwise the thing counted),
`<WHAT>_PAGE_ITEMS` for a page's default size. Services enforce them; forms
and API schemas import the same names, so a page, the API and its OpenAPI
description agree. Where a model field holds the same text, its `max_length`
is the same number in a migration: raising such a limit needs a migration too.

Not here: tuning that nobody sends anything against (ranking short lists,
batch sizes, worker retries), the sign-in throttle (`accounts.signin`, kept
with its windows and pauses), and limits read from the environment
(`KOLLEGA_MAX_REQUEST_BYTES`, in settings).
"""

# --- Posts, comments and the stream -------------------------------------------
POST_BODY_MAX_CHARS = 5000  # a status update is a few paragraphs; longer writing is a blog entry
COMMENT_BODY_MAX_CHARS = 2000  # a reply under a post or an answer, shorter than what it answers
STREAM_PAGE_ITEMS = 20  # posts per stream page: a screenful or two before "more"

# --- Questions and answers ----------------------------------------------------
QUESTION_TITLE_MAX_CHARS = 200  # a question in one sentence (the model's column holds 200)
QUESTION_MAX_TAGS = 10  # enough to place a question; more would make every tag meaningless
QUESTION_SEND_MAX_PEOPLE = 20  # sending to more at once is a broadcast, which a post is for
ROUTING_BATCH_MAX_PEOPLE = 10  # sent at once by Kollega: past ten it is a broadcast, not routing
ROUTING_WAIT_MAX_HOURS = 200  # working hours before the next people (five working weeks)
REFERRAL_NOTE_MAX_CHARS = 300  # "why them?" in a line or two, as `Referral.reason` holds it
ANSWER_BODY_MAX_CHARS = 10_000  # room for a worked answer with steps, far below abuse sizes
EXPERTS_QUERY_MAX_CHARS = 300  # "who knows about …?" is a topic, not a document
EXPERTS_MAX_PEOPLE = 50  # colleagues per "who knows" answer: the ranking reads a short list

# --- Communities and the network ------------------------------------------------
COMMUNITY_NAME_MAX_CHARS = 80  # a name that fits a card, a menu and a notification
COMMUNITY_DESCRIPTION_MAX_CHARS = 2000  # what the community is for, in a few paragraphs
COMMUNITY_REASON_MAX_CHARS = 500  # a moderator's reason for removing something, shown to its author
COMMUNITY_MESSAGE_MAX_CHARS = 500  # a note with a request to join, read by the owners
INVITATION_MESSAGE_MAX_CHARS = 500  # a personal line with a contact invitation

# --- People -------------------------------------------------------------------
PERSON_TAGGING_MAX_TAGS = 20  # tags put on a colleague in one go: more is spam, not knowledge
# The longest each text of a profile may be (the model's columns, so the edit form and the
# API refuse alike); `about` is the one text of several lines.
PROFILE_TEXT_MAX_CHARS = {"name": 150, "title": 150, "languages": 200, "phone": 40, "about": 4000}
DIRECTORY_WORD_MAX_CHARS = 150  # a directory word is kept this long: as long as a name can be

# --- Blogs, bookmarks and wikis -------------------------------------------------
BLOG_TITLE_MAX_CHARS = 200  # a headline, as the entry's column holds it
BLOG_BODY_MAX_CHARS = 50_000  # a long article (~8,000 words), still one page to read
BLOG_ENTRY_MAX_TAGS = 10  # as for questions: enough to file an entry
BOOKMARK_URL_MAX_CHARS = 2000  # the longest URL browsers and servers reliably pass on
BOOKMARK_TITLE_MAX_CHARS = 300  # page titles run long; longer is cut by the browser anyway
BOOKMARK_NOTES_MAX_CHARS = 5000  # a few paragraphs on why a link matters
BOOKMARK_MAX_TAGS = 20  # imported bookmarks carry folder names as tags too
BOOKMARK_IMPORT_MAX_LINKS = 20_000  # a browser's whole bookmark file, imported in one request
BOOKMARK_IMPORT_MAX_BYTES = 10 * 1024 * 1024  # 10 MB: such a file with room to spare
WIKI_TITLE_MAX_CHARS = 200  # a page title, as the page's column holds it
WIKI_SUMMARY_MAX_CHARS = 300  # "what did you change?" in a line or two
WIKI_BODY_MAX_BYTES = 500 * 1024  # 500 KB of UTF-8: a long policy is ~50 KB
WIKI_MAX_LEVELS = 12  # pages nest this deep at most: breadcrumbs stay readable, walks bounded
WIKI_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024  # 5 MB: a screenshot or a photo, not a video
WIKI_ATTACHMENT_MAX_PIXELS = 40_000_000  # 40 megapixels: beyond any camera photo; stops bombs

# --- Search ---------------------------------------------------------------------
# A query of 10,000 characters is not a question anyone asks; the first words decide.
SEARCH_QUERY_MAX_CHARS = 500  # the rest of a longer query is cut, and the page says so
SEARCH_QUERY_MAX_TERMS = 12  # words searched for; more only slow the query down
SEARCH_TERM_MAX_CHARS = 40  # a word is cut to this: longer "words" are hashes and URLs
SEARCH_INDEXED_MAX_CHARS = 20_000  # people search a document by its opening; the index stays small
SEARCH_PAGE_ITEMS = 20  # results per search page
SEARCH_PAGE_MAX_ITEMS = 100  # results the search service gives per call (the API's ceiling)

# --- The API --------------------------------------------------------------------
API_PAGE_ITEMS = 20  # items per page when a client does not say
API_PAGE_MAX_ITEMS = 100  # items per page a client may ask for: one response stays small
API_OFFSET_MAX_ITEMS = 10**9  # items a client may skip: past any list, within a 64-bit OFFSET
API_TOKEN_MAX_DAYS = 3650  # ten years: a token for a server that outlives its maintainer
IDEMPOTENCY_KEY_MAX_CHARS = 255  # a UUID or a client's own key fits with room to spare

# --- The share guard ------------------------------------------------------------------
GUARD_OVERRIDE_MAX_CHARS = 500  # "why this may be shared here" in a sentence or two, for the log

# --- Listening ------------------------------------------------------------------------
LISTENING_FETCH_MAX_BYTES = 10 * 1024 * 1024  # 10 MB: the largest real feeds are a few MB
LISTENING_FETCH_MAX_REDIRECTS = 5  # a moved feed redirects once or twice; more is a loop
LISTENING_SOURCE_NAME_MAX_CHARS = 100  # a source's name, as its column holds it
LISTENING_URL_MAX_CHARS = 2000  # as for bookmarks: the longest URL servers reliably pass on
LISTENING_EXTERNAL_ID_MAX_CHARS = 500  # a GUID or link; a longer one is stored as its hash
LISTENING_TITLE_MAX_CHARS = 500  # an item's title (feeds put whole sentences there)
LISTENING_AUTHOR_MAX_CHARS = 300  # an author's name and handle
LISTENING_MATCHED_MAX_CHARS = 20_000  # an item is matched on its opening, as search indexes it
LISTENING_DISMISS_REASON_MAX_CHARS = 500  # why a mention needs no answer, in a sentence or two
LISTENING_COMMENT_MAX_CHARS = 2000  # an internal comment on a mention: a few sentences
LISTENING_ACCOUNT_MAX_COUNT = 5  # a person's external accounts (ambassadors): a handle, a blog

# --- Inbound mail ---------------------------------------------------------------------
INBOUND_MAIL_MAX_BYTES = 10 * 1024 * 1024  # 10 MB: a reply with a photo; more is refused whole
REPLY_TOKEN_MAX_DAYS = 90  # a mail's reply address works this long: a thread is quiet by then
BOUNCE_QUOTE_MAX_CHARS = 10_000  # a bounce gives back what was written, up to an answer's length

# --- Insights --------------------------------------------------------------------------
INSIGHTS_PERIOD_MAX_DAYS = 732  # two years of figures: longer is a report, not a glance at a page
PICKER_QUERY_MAX_CHARS = 100  # what the people picker reads of a typed name; the rest is ignored
PICKER_SUGGESTIONS_MAX_PEOPLE = 8  # colleagues the people picker suggests at a time

# --- Provisioning (SCIM, LDAP, CSV) ----------------------------------------------------
SCIM_PAGE_ITEMS = 200  # Users or Groups in one SCIM list page (ServiceProviderConfig says so)
DIRECTORY_PHOTO_MAX_BYTES = 2 * 1024 * 1024  # a directory photo, as the profile form allows
CSV_IMPORT_MAX_BYTES = 50 * 1024 * 1024  # a CSV of the whole organisation: 100,000 rows fit
