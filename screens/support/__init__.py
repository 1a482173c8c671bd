"""Building blocks for screens: the app host protocol, workers, drafts, the list-screen base."""
