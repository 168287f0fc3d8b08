-- Returns each overlap group with the number of its active members: incidents, tallies and groups within it (a group needs two).
SELECT g.overlap_group,
    (SELECT count(*) FROM active_incidents i WHERE i.overlap_group = g.overlap_group)
  + (SELECT count(*) FROM active_tallies t WHERE t.overlap_group = g.overlap_group)
  + (SELECT count(*) FROM overlap_groups c WHERE c.within_group = g.overlap_group) AS members
FROM overlap_groups AS g
