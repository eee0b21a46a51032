"""What serves the lab's notebook: drawing autograd's graph, figures, statistics, curvature,
timing and the interactive explorer. The course's own files (`g2model`, `template_utils`) sit at
the repository root; this package may import them, never the reverse."""
