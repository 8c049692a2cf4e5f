/*
 * decimal.c - exact decimal numbers: costs, budgets and points are parsed
 * into rationals without ever passing through binary floating point, and
 * written back digit for digit.
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest accepted number: far beyond any budget, short enough to bound work. */
#define DECIMAL_MAX_DIGITS 200

bool tally_decimal_parse(mpq_t out, const char *text, size_t len)
{
	char digits[DECIMAL_MAX_DIGITS + 1];
	size_t n_digits = 0, n_fraction = 0;
	bool seen_point = false;
	size_t i = 0;

	if (len > 0 && text[0] == '+')
		i++;
	if (i == len)
		return false;
	for (; i < len; i++) {
		char c = text[i];
		if (c >= '0' && c <= '9') {
			if (n_digits == DECIMAL_MAX_DIGITS)
				return false;
			digits[n_digits++] = c;
			if (seen_point)
				n_fraction++;
		} else if ((c == '.' || c == ',') && !seen_point) {
			seen_point = true;
		} else {
			return false;
		}
	}
	if (n_digits == 0)
		return false;
	digits[n_digits] = '\0';

	mpz_set_str(mpq_numref(out), digits, 10);
	mpz_ui_pow_ui(mpq_denref(out), 10, n_fraction);
	mpq_canonicalize(out);
	return true;
}

size_t tally_decimal_format(const mpq_t q, char *buf, size_t size)
{
	mpz_t rest, two, five, scaled;
	long places = 0;
	size_t len = 0;

	if (mpq_sgn(q) < 0 || size == 0)
		return 0;
	mpz_inits(rest, two, five, scaled, NULL);
	mpz_set(rest, mpq_denref(q));
	mpz_set_ui(two, 2);
	mpz_set_ui(five, 5);
	mp_bitcnt_t a = mpz_remove(rest, rest, two);
	mp_bitcnt_t b = mpz_remove(rest, rest, five);
	if (mpz_cmp_ui(rest, 1) != 0)
		goto release_numbers;
	places = (long)(a > b ? a : b);
	/* q * 10^places is an integer; print it and put the point back */
	mpz_ui_pow_ui(scaled, 10, (unsigned long)places);
	mpz_mul(scaled, scaled, mpq_numref(q));
	mpz_divexact(scaled, scaled, mpq_denref(q));
	size_t n = mpz_sizeinbase(scaled, 10) + 2;
	char *digits = malloc(n + (size_t)places + 1);
	if (!digits)
		goto release_numbers;
	mpz_get_str(digits, 10, scaled);
	size_t nd = strlen(digits);
	if (places > 0 && nd <= (size_t)places) { /* pad to "0.00x" */
		size_t pad = (size_t)places - nd + 1;
		memmove(digits + pad, digits, nd + 1);
		memset(digits, '0', pad);
		nd += pad;
	}
	size_t int_len = nd - (size_t)places;
	size_t need = nd + (places > 0 ? 1 : 0);
	if (need < size) {
		memcpy(buf, digits, int_len);
		len = int_len;
		if (places > 0) {
			buf[len++] = '.';
			memcpy(buf + len, digits + int_len, (size_t)places);
			len += (size_t)places;
		}
		buf[len] = '\0';
	}
	free(digits);
release_numbers:
	mpz_clears(rest, two, five, scaled, NULL);
	return len;
}
