"""Core computations shared by every chapter: pure numpy (sympy for exact series), no plotting.

``activations`` (the one table of φ and φ′), ``initialisation`` (He, Glorot, LeCun, …),
``networks`` (the small fully connected network), ``data`` (the digits), ``validation``
(argument checks), and one module per topic that a chapter's experiments build on.
"""
