"""The contracts every layer shares: the example record, its meta keys, reject reasons, options.

Nothing here imports another part of ibert-mine; everything else may import it.
"""

VERSION = "0.1.0"
