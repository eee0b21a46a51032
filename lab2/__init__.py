"""What serves the lab's notebook: autograd's graph, figures, statistics, curvature, timing and the
explorer. It may import the course's files (g2model, template_utils), never the reverse."""
