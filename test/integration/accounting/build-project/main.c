int unit_1(int), unit_2(int), unit_3(int), unit_4(int), unit_5(int), unit_6(int), unit_7(int), unit_8(int);
int main(void) { return (unit_1(1) + unit_2(2) + unit_3(3) + unit_4(4) + unit_5(5) + unit_6(6) + unit_7(7) + unit_8(8)) & 0; }
