"""Page slugs that do not collide with their siblings'."""


def unique_slug(candidate: str, taken: set[str]) -> str:
    """``candidate``, or ``candidate-2``, ``-3`` … whichever is not in ``taken``."""
    slug, n = candidate, 1
    while slug in taken:
        n += 1
        slug = f"{candidate}-{n}"
    return slug
