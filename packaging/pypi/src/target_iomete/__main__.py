"""`python -m target_iomete ...` runs the target like the `target-iomete` script does."""

from target_iomete import main

main()
