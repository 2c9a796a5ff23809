"""The static site generator: validate every lab, then write dist/ (see site_builder.build)."""
