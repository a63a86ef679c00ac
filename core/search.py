"""The search documents as a registry (issue 14 §2, §7).

Each app says, in its `AppConfig.ready()`, which texts of its objects are searchable and
who may read them: `search_provider_register(Meeting, provider, roots=...)`. A provider
takes one *root* object (a meeting, a framework agreement, a sub-agreement, an initiative)
and returns every `SearchDoc` that object's texts make, each with its visibility decided
there by the app's own selectors (the public selectors for PUBLIC). The services that
write call `search_index(root)` after the write; a store (the `search` app) registers
itself with `search_store_register` and replaces the root's documents. So `core` imports
no app, the apps do not import `search`, and without a store `search_index` does nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

PUBLIC = "public"
MEMBERS = "members"  # the members of `forum_id` (directly or through an included forum)
SECRETARIAT = "secretariat"
VISIBILITIES = (PUBLIC, MEMBERS, SECRETARIAT)


@dataclass(frozen=True)
class SearchDoc:
    """One searchable text. `kind` names what it is ("agenda", "minutes", "action", …);
    `ref` is "<app_label>.<model>:<pk>[:part]", unique among the root's documents; `url` a
    site path the reader may open; `forum_id` None for texts of no forum; `year` the year
    it belongs to (the meeting's, the agreement's period start); `visibility` one of
    VISIBILITIES (MEMBERS needs `forum_id`)."""

    kind: str
    ref: str
    url: str
    title: str
    body: str
    visibility: str
    year: int
    forum_id: int | None = None


Provider = Callable[[models.Model], Iterable[SearchDoc]]
Store = Callable[[models.Model, list[SearchDoc]], None]

# root model -> its providers; root model -> a callable giving every root (for rebuilds).
SEARCH_PROVIDERS: dict[type[models.Model], list[Provider]] = {}
SEARCH_ROOTS: dict[type[models.Model], Callable[[], Iterable[models.Model]]] = {}
SEARCH_KINDS: dict[str, str] = {}  # kind -> its label (lazy), for the search form
SEARCH_STORES: list[Store] = []


def search_provider_register(
    model: type[models.Model],
    provider: Provider,
    *,
    roots: Callable[[], Iterable[models.Model]],
    kinds: dict[str, str],
) -> None:
    """Add `provider` for root objects of `model`; `roots()` yields every such object (for
    `manage.py search_rebuild`); `kinds` maps the kinds it makes to their labels.
    Registering the same provider twice has no effect."""
    providers = SEARCH_PROVIDERS.setdefault(model, [])
    if provider not in providers:
        providers.append(provider)
    SEARCH_ROOTS[model] = roots
    SEARCH_KINDS.update(kinds)


def search_store_register(store: Store) -> None:
    """Add a store: `store(root, docs)` replaces the root's documents with `docs`."""
    if store not in SEARCH_STORES:
        SEARCH_STORES.append(store)


def search_documents_for(root: models.Model) -> list[SearchDoc]:
    """Every document the providers make of `root` (no database write)."""
    return [doc for provider in SEARCH_PROVIDERS.get(type(root), []) for doc in provider(root)]


def search_index(root: models.Model) -> None:
    """Bring the stored documents of `root` up to date; call it from the service that
    wrote, inside its transaction. A model without providers is ignored."""
    if type(root) not in SEARCH_PROVIDERS:
        return
    docs = search_documents_for(root)
    for store in SEARCH_STORES:
        store(root, docs)


def root_key(root: models.Model) -> str:
    """ "<app_label>.<model>:<pk>", the key a root's documents are stored under."""
    return f"{root._meta.label_lower}:{root.pk}"
