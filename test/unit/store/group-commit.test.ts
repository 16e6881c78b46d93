import { openDatabase, type Db } from '../../../src/store/database';
import { GroupCommit } from '../../../src/store/group-commit';

describe('GroupCommit', () => {
  let db: Db;
  let flushes: Array<() => void>;
  let group: GroupCommit;
  const count = (): number => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
  const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;

  beforeEach(() => {
    db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY)');
    flushes = [];
    group = new GroupCommit(db, (flush) => void flushes.push(flush));
  });
  afterEach(() => db.close());

  it('when writes are asked for in one turn, then they run at once, share one transaction and resolve only after its commit', async () => {
    const settledOrder: string[] = [];
    const a = group.write(insert(1), () => settledOrder.push('after a')).then(() => settledOrder.push('a'));
    const b = group.write(insert(2)).then(() => settledOrder.push('b'));
    expect(count()).toBe(2);
    expect(db.inTransaction).toBe(true);
    expect(flushes).toHaveLength(1);
    await Promise.resolve();
    expect(settledOrder).toEqual([]);

    flushes[0]();
    await Promise.all([a, b]);
    expect(db.inTransaction).toBe(false);
    expect(settledOrder).toEqual(['after a', 'a', 'b']);
  });

  it('when one write of a group throws, then it rejects at once, leaves nothing, and the others are committed', async () => {
    const ok = group.write(insert(1));
    await expect(
      group.write(() => {
        insert(2)();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    const later = group.write(insert(3));
    group.flush();
    await expect(Promise.all([ok, later])).resolves.toEqual([1, 1]);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 3]);
  });

  it('when the commit fails, then every write of the group rejects and none of them stays', async () => {
    db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)');
    const a = group.write(insert(1));
    const b = group.write(() => db.prepare('INSERT INTO c (p) VALUES (42)').run().changes);
    group.flush();
    await expect(a).rejects.toThrow(/FOREIGN KEY/);
    await expect(b).rejects.toThrow(/FOREIGN KEY/);
    expect(db.inTransaction).toBe(false);
    expect(count()).toBe(0);
  });

  it("when called inside a caller's own transaction, then the work runs there and goes with the caller's rollback", async () => {
    let inside: Promise<number> | undefined;
    expect(() =>
      db.transaction(() => {
        inside = group.write(insert(1));
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    await expect(inside).resolves.toBe(1);
    expect(flushes).toHaveLength(0);
    expect(count()).toBe(0);
  });

  it('when a one-statement write fails, then it rejects, leaves nothing, and the group goes on', async () => {
    const ok = group.writeOne(insert(1));
    await expect(group.writeOne(insert(1))).rejects.toThrow(/UNIQUE/);
    expect(db.inTransaction).toBe(true);
    const later = group.writeOne(insert(2));
    group.flush();
    await expect(Promise.all([ok, later])).resolves.toEqual([1, 1]);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 2]);
  });

  it('when nothing is open, then flush does nothing', () => {
    expect(() => group.flush()).not.toThrow();
    expect(db.inTransaction).toBe(false);
  });
});
