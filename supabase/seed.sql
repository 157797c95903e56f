-- Demo catalogue. The last product is out of stock on purpose, to show the backorder path.
insert into public.products (slug, name, description, price_cents) values
  ('field-notebook', 'Field Notebook', 'A5 dot-grid notebook, 120 pages, lies flat.', 1800),
  ('brass-pen', 'Brass Pen', 'Machined brass ballpoint that outlives its refills.', 4500),
  ('desk-lamp', 'Desk Lamp', 'Warm dimmable LED lamp with a weighted base.', 8900),
  ('wool-throw', 'Wool Throw', 'Merino blanket for long reading afternoons.', 12000),
  ('mechanical-keyboard', 'Mechanical Keyboard', 'Tactile switches, aluminium case. Sold out for now.', 15900);

insert into public.inventory (product_id, on_hand)
select id, case slug when 'mechanical-keyboard' then 0 when 'desk-lamp' then 5 else 100 end
from public.products;
