//! The views of an organisation (matrix, boundary, graphs) and the flowcharts.

mod analyses;
mod flowchart;
mod lists;
mod mentions;
