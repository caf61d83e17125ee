# Map/list churn: insert 200k string keys, read them back, overwrite them,
# build a list from the map and sum it.
# (Inside a function, as idiomatic Python: locals are CPython's fast path.)
def main():
    n = 200000
    m = {}
    for i in range(n):
        m[f"k{i}"] = i
    total = 0
    for i in range(n):
        total += m[f"k{i}"]
    for i in range(n):
        m[f"k{i}"] = m[f"k{i}"] * 2 + 1
    lst = []
    for i in range(n):
        lst.append(m[f"k{i}"] % 97)
    t = 0
    for x in lst:
        t += x
    print(total, t, len(m), len(lst))


main()
