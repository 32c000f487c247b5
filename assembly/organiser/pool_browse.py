"""Browsing a large pool one page at a time: filtering and sorting happen in SQL, so a pool of
10,000 respondents pages as fast as one of 100 and the screen never holds more than a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

PAGE_SIZE = 200
# Ids in number order (p0, p1, p2 ... p10), not as text (p0, p1, p10, p100, p11): the text
# before the trailing digits, then those digits as a number, then the id itself.
NATURAL_REF = (
    "rtrim(r.ref, '0123456789') {direction}, "  # not words
    "cast(substr(r.ref, length(rtrim(r.ref, '0123456789')) + 1) as integer) {direction}, r.ref"
)
BASIC_SORTS = {
    "ref": NATURAL_REF,
    "name": "r.name",
    "postcode": "r.postcode",
    "status": "m.status",
}


@dataclass(frozen=True)
class PoolPage:
    rows: tuple[dict, ...]
    total: int  # rows matching the filter
    offset: int
    page_size: int

    @property
    def first(self) -> int:
        return self.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)


def browse_pool(
    db: Database,
    *,
    text: str = "",
    feature: str | None = None,
    value: str | None = None,
    sort: str = "ref",
    descending: bool = False,
    offset: int = 0,
    page_size: int = PAGE_SIZE,
) -> PoolPage:
    """One page of respondents matching `text` (in id, name or postcode) and `feature = value`,
    sorted by `sort` (ref, name, postcode, status, or a feature name)."""
    where, params = [], []
    if text.strip():
        like = f"%{text.strip()}%"
        where.append("(r.ref like ? or r.name like ? or r.postcode like ?)")  # not words
        params += [like, like, like]
    if feature and value is not None:
        where.append("json_extract(r.features, '$.' || json_quote(?)) = ?")
        params += [feature, value]
    clause = f"where {' and '.join(where)}" if where else ""
    base = f"from respondents r left join members m on m.respondent_id = r.id {clause}"  # not words
    total = db.execute(f"select count(*) {base}", params).fetchone()[0]
    order_params: list = []
    if sort in BASIC_SORTS:
        order = BASIC_SORTS[sort]
    else:
        order = "json_extract(r.features, '$.' || json_quote(?))"
        order_params.append(sort)
    direction = "desc" if descending else "asc"
    order = order.format(direction=direction)
    offset = max(0, min(offset, max(total - 1, 0)))
    rows = tuple(
        db.query(
            f"select r.id, r.ref, r.name, r.postcode, r.features, r.purged_at, "
            f"m.number, m.status {base} order by {order} {direction}, r.id limit ? offset ?",
            params + order_params + [page_size, offset],
        )
    )
    return PoolPage(rows, total, offset, page_size)
