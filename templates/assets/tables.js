/* Wide tables, made easier where a script may run (the site works without it: a
   wide table then scrolls inside its box, its first column held in place by CSS).
   - A box that scrolls says so: shadows at the edges with more to see, a hint line.
   - The row labels (code and name) stay in view while the amounts scroll.
   - A button switches a wide table to a stacked view: one block per row, each
     amount with its column's heading. */
(() => {
  const boxes = Array.from(document.querySelectorAll('.table-scroll'));

  /** Holds the label columns of a table at the left edge of its box while it scrolls. */
  function holdLabels(box) {
    const table = box.querySelector('table');
    if (!table) return;
    for (const cell of table.querySelectorAll('.is-held')) {
      cell.classList.remove('is-held');
      cell.style.left = '';
    }
    if (!box.classList.contains('is-scrollable') || box.closest('.is-stacked')) return;
    // Code and name columns (never the unit column, which is mostly empty), no more than
    // 60% of the box, so the amounts keep room.
    const cells = Array.from(table.querySelectorAll('tbody .stub:not(.stub-unit)'));
    if (!cells.length) return;
    // Positions within the table, measured unscrolled.
    const scrolled = box.scrollLeft;
    box.scrollLeft = 0;
    const origin = table.getBoundingClientRect().left;
    const x = (c) => Math.round(c.getBoundingClientRect().left - origin);
    const right = (c) => Math.round(c.getBoundingClientRect().right - origin);
    const start = Math.min(...cells.map(x));
    const end = Math.max(...cells.map(right));
    const held =
      end - start > box.clientWidth * 0.6
        ? []
        : Array.from(table.querySelectorAll('th, td')).filter(
            (c) => x(c) >= start && right(c) <= end + 1 && (c.classList.contains('stub') || c.closest('thead')),
          );
    const lefts = held.map((c) => x(c) - start);
    box.scrollLeft = scrolled;
    held.forEach((cell, i) => {
      cell.classList.add('is-held');
      cell.style.left = `${lefts[i]}px`;
    });
  }

  /** Marks a box that scrolls, and which of its edges have more beyond them. */
  function update(box) {
    const scrollable = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle('is-scrollable', scrollable);
    box.classList.toggle('has-more-left', scrollable && box.scrollLeft > 1);
    box.classList.toggle('has-more-right', scrollable && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
    const section = box.closest('.budget-table-section');
    if (section) section.classList.toggle('is-wide', scrollable || section.classList.contains('is-stacked'));
  }

  function addToggle(box) {
    const section = box.closest('.budget-table-section');
    if (!section || section.querySelector('.table-view-toggle')) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'table-view-toggle';
    button.setAttribute('aria-pressed', 'false');
    button.textContent = '逐行查看';
    button.addEventListener('click', () => {
      const stacked = !section.classList.contains('is-stacked');
      section.classList.toggle('is-stacked', stacked);
      button.setAttribute('aria-pressed', String(stacked));
      button.textContent = stacked ? '按表格查看' : '逐行查看';
      update(box);
      holdLabels(box);
    });
    const hint = document.createElement('p');
    hint.className = 'table-scroll-hint';
    hint.textContent = '表格较宽，可左右滑动查看，或';
    hint.appendChild(button);
    box.parentNode.insertBefore(hint, box);
  }

  function refresh() {
    for (const box of boxes) {
      update(box);
      if (box.classList.contains('is-scrollable') || box.closest('.is-stacked')) addToggle(box);
      holdLabels(box);
    }
  }

  for (const box of boxes) box.addEventListener('scroll', () => update(box), { passive: true });
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(refresh);
  });
  refresh();
})();
