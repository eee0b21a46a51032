"""What serves the lab's notebook: autograd's graph and its layout, figures, confidence intervals,
curvature, timing, the torch.nn twin and the explorer. It may import the course's files (g2model,
template_utils), never the reverse."""
