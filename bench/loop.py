# 3M iterations of integer arithmetic in a for loop.
# (Inside a function, as idiomatic Python: locals are CPython's fast path.)
def main():
    total = 0
    for i in range(3000000):
        total += (i * 3 + 7) % 1000
    print(total)


main()
