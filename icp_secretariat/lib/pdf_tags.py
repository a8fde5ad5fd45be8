"""Keep the papers' structure trees in a merged pack (tagged PDF, PDF/UA).

pypdf copies the papers' pages into the pack but not their structure trees, so a tagged paper
would lose its tags and the pack would claim PDF/UA with most pages outside its tree. After the
merge, `graft_structure` opens the pack with pikepdf and, for each paper, copies the paper's
structure elements under the pack's Document element (inside one /Part per paper, titled with
the paper's title), pointing their /Pg at the pack's copies of the pages and their OBJR at the
pack's copies of the annotations; it merges the RoleMap and ClassMap, then rebuilds the parent
tree for the whole pack from the tree itself (StructParents renumbered on every page and
StructParent on every annotation). A pack claims PDF/UA (XMP `pdfuaid:part`) only when every
page is in the structure tree; otherwise the claim is removed and the untagged papers are
reported so the secretariat can replace them.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaperPlacement:
    """Where one paper's pages sit in the pack (0-based index of its first page)."""

    path: Path
    title: str
    first_index: int
    page_count: int


def _objgen(obj) -> tuple[int, int] | None:
    try:
        return obj.objgen if obj.is_indirect else None
    except Exception:
        return None


def _is_dict(obj) -> bool:
    return isinstance(obj, Dictionary)


class _Copier:
    """Copies one paper's structure elements into the pack, remapping pages and annotations."""

    # Keys rebuilt by the copy (parent, kids, page) or dropped (IDs may clash across papers).
    SKIP = {"/P", "/K", "/Pg", "/ID"}

    def __init__(self, pack: Pdf, pages: dict, annots: dict) -> None:
        self.pack = pack
        self.pages = pages  # source page objgen -> pack page object
        self.annots = annots  # source annotation objgen -> pack annotation object
        self.memo: dict[tuple[int, int], object] = {}

    def value(self, obj):
        """A deep copy of a plain value (attributes, alt text, class names) into the pack."""
        key = _objgen(obj)
        if key is not None and key in self.memo:
            return self.memo[key]
        if isinstance(obj, pikepdf.Stream):
            return None  # structure attributes never need streams; drop rather than mis-copy
        if isinstance(obj, Dictionary):
            new = Dictionary({k: self.value(v) for k, v in obj.items()})
        elif isinstance(obj, Array):
            new = Array([self.value(v) for v in obj])
        else:
            return obj
        if key is not None:
            new = self.pack.make_indirect(new)
            self.memo[key] = new
        return new

    def page(self, obj):
        key = _objgen(obj)
        return self.pages.get(key) if key is not None else None

    def element(self, src: Dictionary, parent, page) -> Dictionary | None:
        """Copy a structure element (and its kids) under `parent`; `page` is the inherited /Pg."""
        new = self.pack.make_indirect(Dictionary())
        for key, value in src.items():
            if key not in self.SKIP:
                new[key] = self.value(value)
        new.P = parent
        if "/Pg" in src:
            page = self.page(src.Pg)
            if page is not None:
                new.Pg = page
        kids = src.get("/K")
        if kids is None:
            return new
        out = Array()
        for kid in kids if isinstance(kids, Array) else [kids]:
            copied = self.kid(kid, new, page)
            if copied is not None:
                out.append(copied)
        new.K = out
        return new

    def kid(self, kid, parent, page):
        if isinstance(kid, int):
            return kid if page is not None else None
        if not _is_dict(kid):
            return None
        kind = kid.get("/Type")
        if kind == Name.MCR:
            if "/Stm" in kid:  # content in a form XObject: not carried over
                return None
            target = self.page(kid.Pg) if "/Pg" in kid else page
            if target is None:
                return None
            return Dictionary(Type=Name.MCR, MCID=int(kid.MCID), Pg=target)
        if kind == Name.OBJR:
            annot = self.annots.get(_objgen(kid.get("/Obj")))
            target = self.page(kid.Pg) if "/Pg" in kid else page
            if annot is None or target is None:
                return None
            return Dictionary(Type=Name.OBJR, Obj=annot, Pg=target)
        return self.element(kid, parent, page)


def _number_tree(node, depth: int = 0) -> dict[int, object]:
    out: dict[int, object] = {}
    if not _is_dict(node) or depth > 32:
        return out
    nums = node.get("/Nums")
    if isinstance(nums, Array):
        for i in range(0, len(nums) - 1, 2):
            try:
                out[int(nums[i])] = nums[i + 1]
            except (TypeError, ValueError):
                continue
    for kid in node.get("/Kids", []) or []:
        out.update(_number_tree(kid, depth + 1))
    return out


def _repair_orphans(pdf: Pdf, pages) -> None:
    """Put back into their parent's /K the elements a producer left out of it.

    Some producers (WeasyPrint 6x among them) list an element in the parent tree with a /P
    whose /K does not name it, so a walk from the root never finds its content. The parent
    tree of the given pages says where each belongs; it is appended to its parent's kids.
    """
    tree = pdf.Root.get("/StructTreeRoot")
    if not _is_dict(tree):
        return
    entries = _number_tree(tree.get("/ParentTree"))
    if not entries:
        return
    root_key = _objgen(tree)
    done: set[tuple[int, int]] = set()
    for page in pages:
        key = page.obj.get("/StructParents")
        entry = entries.get(int(key)) if isinstance(key, int) else None
        for element in _as_list(entry):
            node = element
            for _ in range(64):
                node_key = _objgen(node) if _is_dict(node) else None
                if node_key is None or node_key in done:
                    break
                done.add(node_key)
                parent = node.get("/P")
                if not _is_dict(parent) or _objgen(parent) == root_key:
                    break
                kids = parent.get("/K")
                listed = _as_list(kids)
                if not any(_is_dict(k) and _objgen(k) == node_key for k in listed):
                    parent.K = Array([*listed, node])
                node = parent


def _document_element(pack: Pdf) -> Dictionary:
    """The pack's Document element (made, with a tree, if the front matter has none)."""
    root = pack.Root
    if "/StructTreeRoot" not in root:
        root.StructTreeRoot = pack.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
        root.MarkInfo = Dictionary(Marked=True)
    tree = root.StructTreeRoot
    kids = tree.get("/K")
    if kids is None:
        kids = Array()
    if _is_dict(kids):
        kids = Array([kids])
    for kid in kids:
        if _is_dict(kid) and kid.get("/S") == Name.Document:
            if not isinstance(kid.get("/K"), Array):
                kid.K = Array([kid.K]) if "/K" in kid else Array()
            return kid
    document = pack.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array(list(kids)))
    )
    for kid in kids:
        if _is_dict(kid):
            kid.P = document
    tree.K = Array([document])
    return document


def _merge_map(pack_tree: Dictionary, src_tree: Dictionary, key: str, copier: _Copier) -> None:
    src_map = src_tree.get(key)
    if not _is_dict(src_map):
        return
    if not _is_dict(pack_tree.get(key)):
        pack_tree[key] = Dictionary()
    target = pack_tree[key]
    for name, value in src_map.items():
        if name not in target:
            target[name] = copier.value(value)


def _graft_paper(pack: Pdf, document: Dictionary, placement: PaperPlacement) -> None:
    try:
        src = Pdf.open(placement.path)
    except Exception:
        return  # already read by the merge; an unreadable tree just leaves the paper untagged
    with src:
        tree = src.Root.get("/StructTreeRoot")
        if not _is_dict(tree) or "/K" not in tree:
            return
        _repair_orphans(src, src.pages)
        pages, annots = {}, {}
        for index, page in enumerate(src.pages):
            if index >= placement.page_count:
                break
            target = pack.pages[placement.first_index + index].obj
            pages[page.obj.objgen] = target
            src_annots = page.obj.get("/Annots")
            dst_annots = target.get("/Annots")
            if isinstance(src_annots, Array) and isinstance(dst_annots, Array):
                for a, b in zip(src_annots, dst_annots, strict=False):
                    key = _objgen(a)
                    if key is not None and b.is_indirect:
                        annots[key] = b
        copier = _Copier(pack, pages, annots)
        part = pack.make_indirect(
            Dictionary(
                Type=Name.StructElem,
                S=Name.Part,
                T=pikepdf.String(placement.title),
                P=document,
                K=Array(),
            )
        )
        lang = src.Root.get("/Lang")
        if lang is not None and lang != pack.Root.get("/Lang"):
            part.Lang = pikepdf.String(str(lang))
        roles = tree.get("/RoleMap")
        kids = tree.K if isinstance(tree.K, Array) else [tree.K]
        flat = []
        for kid in kids:
            # A paper's own Document element becomes its Part: splice its kids.
            role = kid.get("/S") if _is_dict(kid) else None
            if _is_dict(roles) and role is not None and role in roles:
                role = roles[role]
            if role == Name.Document and "/K" in kid and not kid.get("/Type") == Name.MCR:
                inner = kid.K
                page = kid.get("/Pg")
                for k in inner if isinstance(inner, Array) else [inner]:
                    flat.append((k, page))
            else:
                flat.append((kid, None))
        for kid, page in flat:
            copied = copier.kid(kid, part, copier.page(page) if page is not None else None)
            if copied is not None:
                part.K.append(copied)
        _merge_map(pack.Root.StructTreeRoot, tree, "/RoleMap", copier)
        _merge_map(pack.Root.StructTreeRoot, tree, "/ClassMap", copier)
        document.K.append(part)


def _rebuild_parent_tree(pack: Pdf) -> set[tuple[int, int]]:
    """Number every page's marked content and every tagged annotation afresh from the tree.

    Returns the pages (objgen) that hold at least one structure element's content.
    """
    tree = pack.Root.StructTreeRoot
    marked: dict[tuple[int, int], dict[int, object]] = {}
    annot_parents: list[tuple[object, object]] = []
    stack = [(kid, None, None) for kid in _as_list(tree.get("/K"))]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, parent, page = stack.pop()
        if isinstance(node, int):
            if parent is not None and page is not None:
                marked.setdefault(page.objgen, {})[node] = parent
            continue
        if not _is_dict(node):
            continue
        kind = node.get("/Type")
        if kind == Name.MCR:
            target = node.get("/Pg", page)
            if parent is not None and target is not None and "/Stm" not in node:
                marked.setdefault(target.objgen, {})[int(node.MCID)] = parent
            continue
        if kind == Name.OBJR:
            if parent is not None and "/Obj" in node:
                annot_parents.append((node.Obj, parent))
            continue
        key = _objgen(node)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        here = node.get("/Pg", page)
        for kid in _as_list(node.get("/K")):
            stack.append((kid, node, here))

    nums = Array()
    next_key = 0
    for page in pack.pages:
        obj = page.obj
        entries = marked.get(obj.objgen)
        if entries:
            obj.StructParents = next_key
            nums.append(next_key)
            nums.append(Array([entries.get(i) for i in range(max(entries) + 1)]))
            next_key += 1
        elif "/StructParents" in obj:
            del obj.StructParents
        annots = obj.get("/Annots")
        if isinstance(annots, Array):
            obj.Tabs = Name.S
            for annot in annots:
                if _is_dict(annot) and "/StructParent" in annot:
                    del annot.StructParent
    for annot, parent in annot_parents:
        if _is_dict(annot):
            annot.StructParent = next_key
            nums.append(next_key)
            nums.append(parent)
            next_key += 1
    tree.ParentTree = pack.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = next_key
    return set(marked)


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, Array):
        return list(value)
    return [value]


def _drop_ua_claim(pack: Pdf) -> None:
    with pack.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]


def graft_structure(
    merged: bytes, placements: list[PaperPlacement], target: str | Path | BinaryIO
) -> tuple[list[bool], bool]:
    """Write `merged` to `target` with the papers' structure trees grafted in.

    Returns, for each placement, whether every one of its pages is in the pack's structure
    tree, and whether every page of the pack is: only then does it keep its PDF/UA claim.
    """
    with Pdf.open(io.BytesIO(merged)) as pack:
        front = placements[0].first_index if placements else len(pack.pages)
        _repair_orphans(pack, pack.pages[:front])
        document = _document_element(pack)
        for placement in placements:
            try:
                _graft_paper(pack, document, placement)
            except Exception:  # a malformed tree: the paper counts as untagged, the pack builds
                logger.warning("Structure tree of %s not grafted", placement.title, exc_info=True)
        covered = _rebuild_parent_tree(pack)
        page_keys = [page.obj.objgen for page in pack.pages]
        tagged = [
            all(page_keys[i] in covered for i in range(p.first_index, p.first_index + p.page_count))
            for p in placements
        ]
        whole = all(key in covered for key in page_keys)
        if not whole:
            _drop_ua_claim(pack)
        pack.save(target, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return tagged, whole
