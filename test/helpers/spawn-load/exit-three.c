// Exits with status 3 at once: the "uniquely named program that exits 3" of issue 11.
int main(void) { return 3; }
