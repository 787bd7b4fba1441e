package io.connectorgateway.gateway.console;

import java.util.List;

/**
 * One page of a list the server cut (pages numbered from 1), and the links to the others.
 *
 * @param items the page's items
 * @param page  this page's number, within 1..pages
 * @param pages how many pages (1 for an empty list)
 * @param total items over all pages
 * @param first the number (from 1) of the page's first item; 0 when empty
 */
public record Paged<T>(List<T> items, int page, int pages, int total, int first) {
    public Paged {
        items = List.copyOf(items);
    }

    /** Page {@code page} of {@code all} by {@code size}; a number out of range gives the nearest page. */
    public static <T> Paged<T> of(List<T> all, int page, int size) {
        int pages = Math.max(1, (all.size() + size - 1) / size);
        int p = Math.min(Math.max(page, 1), pages);
        int from = (p - 1) * size;
        List<T> items = all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()));
        return new Paged<>(items, p, pages, all.size(), items.isEmpty() ? 0 : from + 1);
    }

    public int last() {
        return first == 0 ? 0 : first + items.size() - 1;
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages;
    }

    /** The page numbers to link: all of up to 9 pages, else the first, the last and two either side of this one; 0 marks a gap. */
    public List<Integer> numbers() {
        List<Integer> out = new java.util.ArrayList<>();
        for (int n = 1; n <= pages; n++) {
            if (pages <= 9 || n == 1 || n == pages || Math.abs(n - page) <= 2) {
                out.add(n);
            } else if (out.get(out.size() - 1) != 0) {
                out.add(0);
            }
        }
        return out;
    }
}
