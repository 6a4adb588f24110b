"""Automatic page arrangement (拼版, ``paiban arrange``).

An article set (``arrange: 1``, see docs/arrange.md) and a page template go in; complete
page specs come out.  The stages, one module each:

- ``articleset``: read and validate the set (``FILE:LINE`` errors, English and Chinese);
- ``measure``: lines each article needs at each allowed width, from the real composer;
- ``solve``: the CP-SAT model (OR-Tools, an optional extra), alternatives one by one;
- ``emit``: each solution as a page spec, re-laid out, verified and scored.
"""
