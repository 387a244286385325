"""Walks of parent links (the category tree, price-list parents) that a cycle cannot hang.

Saving a cycle is refused (`has_cycle`, called by the models' `clean()` and by the bundle
loader), but a row written past them (SQL, `queryset.update()`) must not make a page loop
forever: every walk keeps the nodes it has seen and stops at the first one seen again.
Pure: plain mappings in, plain lists out.
"""

from collections.abc import Hashable, Iterable, Mapping


def ancestry(start: Hashable, parents: Mapping) -> list:
    """`start`, its parent, the parent's parent... up to a root or to a node seen before."""
    chain, seen, current = [], set(), start
    while current is not None and current not in seen:
        seen.add(current)
        chain.append(current)
        current = parents.get(current)
    return chain


def has_cycle(start: Hashable, parents: Mapping) -> bool:
    """True when following the parents from `start` comes back to a node already passed."""
    return parents.get(ancestry(start, parents)[-1]) is not None


def descendants(roots: Iterable, children: Mapping) -> list:
    """The roots and every node below them, each once, breadth first."""
    found, seen, index = [], set(), 0
    for root in roots:
        if root not in seen:
            seen.add(root)
            found.append(root)
    while index < len(found):
        for child in children.get(found[index], ()):
            if child not in seen:
                seen.add(child)
                found.append(child)
        index += 1
    return found
