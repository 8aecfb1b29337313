/** The unit phrases the descriptions share. */
export const MONEY = 'Decimal string, 2 decimals';
export const RATIO = 'fraction as a Decimal string, 4 decimals (0.2500 = 25 %)';
