-- The weights this atlas was scored with (written by the build from the weights file it read).
SELECT *
FROM risk_weights
ORDER BY tier, dimension, weight DESC, indicator
