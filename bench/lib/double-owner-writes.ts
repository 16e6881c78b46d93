import pg from 'pg';

/**
 * The jobs of a PostgreSQL store that were written by two owners: each history entry keeps the fence it was written
 * under (`written_by`, `written_epoch`; unfenced entries have none and are left out), and a job counts when an entry
 * was written under a lower epoch than an entry before it (an owner that had lost the job wrote after the one that
 * took it over), or when two replicas wrote under one epoch (two owners at once). Fencing makes both impossible;
 * this reads the history to check it. Answers the ids of such jobs.
 */
export async function jobsWrittenByTwoOwners(storeUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: storeUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ job_id: string }>(
      `SELECT job_id FROM (
         SELECT job_id, written_epoch, max(written_epoch) OVER (
           PARTITION BY job_id ORDER BY response_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier
         FROM job_history WHERE written_epoch IS NOT NULL) h
       WHERE written_epoch < earlier
       UNION
       SELECT job_id FROM job_history WHERE written_epoch IS NOT NULL
       GROUP BY job_id, written_epoch HAVING count(DISTINCT written_by) > 1
       ORDER BY job_id`,
    );
    return rows.map((r) => r.job_id);
  } finally {
    await client.end();
  }
}
