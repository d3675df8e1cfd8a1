# Installed later in this file once programs exist.
