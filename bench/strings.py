# Build a large string from 1M short pieces (int formatting + append), print its length.
# Inside a function: CPython's in-place `s +=` optimization only applies to locals.
def main():
    s = ""
    for i in range(1000000):
        s += f"{i},"
    print(len(s))


main()
