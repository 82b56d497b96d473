"""Figure builders, separate from the computations they draw.

Every module here except ``registry``, ``style`` and ``render`` is a figure module: it registers
figures and quoted values for the pages; the build finds them by listing this folder.
"""

