"""Sort the stacks of a `--py-spy` profile (py-spy's raw/collapsed format) into what they were doing, for the
"where the time goes" tables of docs/performance.md:

    .venv/bin/python -m bench.profile_buckets FILE [FILE …] [--commands N]
"""
import collections
import sys
def bucket(stack):
    if 'WriteBehindJobStore' in stack: return 'job store thread'
    if 'save_encrypted_rooms' in stack or 'use_database' in stack: return 'crypto store save'
    if 'sqlalchemy' in stack or 'aiosqlite' in stack: return 'SQL (SQLAlchemy, greenlet, aiosqlite)'
    if 'AsyncClient.sync' in stack or 'AsyncClient._handle_sync' in stack: return 'nio sync'
    if 'Router.handle' in stack or 'Router.observe' in stack: return 'commands (router, handlers, texts)'
    if '_deliver' in stack or 'room_send' in stack or '_mark_sent' in stack or '_save_token' in stack: return 'send, mark sent, token'
    if 'Relais.' in stack: return 'other Relais (sync loop, unit, outbox)'
    return 'event loop, sockets, idle'
args = sys.argv[1:]
COMMANDS = int(args[args.index('--commands') + 1]) if '--commands' in args else 120
files = [a for a in args if a != '--commands' and not a.isdigit()]
for f in files:
    c=collections.Counter(); tot=0
    for line in open(f):
        st,_,n=line.rstrip().rpartition(' '); n=int(n); tot+=n; c[bucket(st)]+=n
    print(f, tot, 'samples;', f'{tot/COMMANDS:.1f} per command')
    for k,v in c.most_common(): print(f'   {v/tot*100:5.1f}%  {v/COMMANDS:4.2f}/cmd  {k}')
