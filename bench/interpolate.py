# Interpolation and string builtins: 100k lines built from templates, then trimmed, replaced,
# upper-cased, split and tested, as a script that reshapes kubectl output does.
total = 0
hosts = 0
for i in range(100000):
    host = f"lms-{i}.example.com"
    line = f"  {host}:{(i % 65535) + 1} ready={'true' if i % 2 == 0 else 'false'}  "
    u = line.strip().replace("example", "test").upper()
    parts = u.split(":")
    total += len(parts[0]) + len(parts[1])
    if u.startswith("LMS-1"):
        hosts += 1
print(total, hosts)
