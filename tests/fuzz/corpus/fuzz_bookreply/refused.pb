
9refusedJ%no vehicle is on booking duty — 无